package dlkit.kernel;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import jdk.jshell.spi.ExecutionControl.ClassBytecodes;

/**
 * Keeps {@code System.exit} in a cell from ending the kernel: before JShell loads a cell's classes,
 * calls to {@code System.exit}, {@code Runtime.exit} and {@code Runtime.halt} are replaced by calls
 * here, which throw {@link CellExit}; the kernel reports it as a {@code SystemExit} error and keeps
 * every variable. The security manager that once did this is gone from current JDKs.
 *
 * <p>Only code written in cells is rewritten: a library that calls {@code System.exit} still ends
 * the JVM, and the kernel then says so in the running cell before it goes.
 */
public final class ExitGuard {

    private static final String SELF = "dlkit/kernel/ExitGuard";

    private ExitGuard() {}

    /** Thrown in place of a cell's {@code System.exit(status)}. */
    public static final class CellExit extends Error {
        private static final long serialVersionUID = 1L;

        CellExit(String call) {
            super(call);
        }
    }

    /**
     * Stands for {@code System.exit(status)} in cell code.
     *
     * @param status the status the cell asked for
     */
    public static void exit(int status) {
        throw new CellExit("System.exit(" + status + ")");
    }

    /**
     * Stands for {@code runtime.exit(status)} in cell code.
     *
     * @param runtime the runtime the cell called
     * @param status the status the cell asked for
     */
    public static void exit(Runtime runtime, int status) {
        throw new CellExit("Runtime.exit(" + status + ")");
    }

    /**
     * Stands for {@code runtime.halt(status)} in cell code.
     *
     * @param runtime the runtime the cell called
     * @param status the status the cell asked for
     */
    public static void halt(Runtime runtime, int status) {
        throw new CellExit("Runtime.halt(" + status + ")");
    }

    /** The classes with their exit calls replaced; a class ASM cannot read is left as it is. */
    static ClassBytecodes[] rewrite(ClassBytecodes[] classes) {
        ClassBytecodes[] out = new ClassBytecodes[classes.length];
        for (int i = 0; i < classes.length; i++) {
            out[i] = new ClassBytecodes(classes[i].name(), rewrite(classes[i].bytecodes()));
        }
        return out;
    }

    static byte[] rewrite(byte[] classFile) {
        try {
            ClassReader reader = new ClassReader(classFile);
            ClassWriter writer = new ClassWriter(reader, 0); // same stack effect: no frames to recompute
            boolean[] changed = {false};
            reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                        String[] exceptions) {
                    return new MethodVisitor(Opcodes.ASM9, super.visitMethod(access, name, descriptor, signature, exceptions)) {
                        @Override
                        public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean itf) {
                            if (opcode == Opcodes.INVOKESTATIC && owner.equals("java/lang/System")
                                    && method.equals("exit") && desc.equals("(I)V")) {
                                changed[0] = true;
                                super.visitMethodInsn(Opcodes.INVOKESTATIC, SELF, "exit", "(I)V", false);
                            } else if (opcode == Opcodes.INVOKEVIRTUAL && owner.equals("java/lang/Runtime")
                                    && (method.equals("exit") || method.equals("halt")) && desc.equals("(I)V")) {
                                changed[0] = true;
                                super.visitMethodInsn(Opcodes.INVOKESTATIC, SELF, method, "(Ljava/lang/Runtime;I)V", false);
                            } else {
                                super.visitMethodInsn(opcode, owner, method, desc, itf);
                            }
                        }

                        @Override
                        public void visitInvokeDynamicInsn(String name, String desc, Handle bootstrap, Object... args) {
                            for (int i = 0; i < args.length; i++) { // System::exit as a method reference
                                if (args[i] instanceof Handle h && h.getOwner().equals("java/lang/System")
                                        && h.getName().equals("exit") && h.getDesc().equals("(I)V")) {
                                    changed[0] = true;
                                    args[i] = new Handle(Opcodes.H_INVOKESTATIC, SELF, "exit", "(I)V", false);
                                }
                            }
                            super.visitInvokeDynamicInsn(name, desc, bootstrap, args);
                        }
                    };
                }
            }, 0);
            return changed[0] ? writer.toByteArray() : classFile;
        } catch (RuntimeException e) {
            return classFile; // a class file newer than ASM knows: loaded unchanged
        }
    }
}
